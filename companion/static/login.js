// The link `applied serve` opens is /login#<token>: the fragment never leaves the browser,
// so the token stays out of server logs and Referer headers. Fill the form and send it.
//
// The form is sent with fetch() rather than form.submit(): under the Referrer-Policy
// "no-referrer" header a submitted form carries "Origin: null", which the companion
// (rightly) refuses as a foreign page; a same-origin fetch carries our own origin.
const form = document.getElementById("login-form");
const problem = document.getElementById("login-error");

async function signIn(token) {
  const response = await fetch(form.action, {
    method: "POST", body: new URLSearchParams({ token }), headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (response.ok && response.redirected) {
    window.location.assign(response.url);
    return;
  }
  let message = "Signing in did not work; reload the page and try again.";
  try {
    message = (await response.json()).error.message;
  } catch {
    // not JSON: keep the general message
  }
  problem.textContent = message.charAt(0).toUpperCase() + message.slice(1) + ".";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  problem.textContent = "";
  signIn(form.elements.token.value.trim()).catch(() => {
    problem.textContent = "Applied did not answer: is the companion still running?";
  });
});

const token = decodeURIComponent(window.location.hash.slice(1));
if (token) {
  history.replaceState(null, "", window.location.pathname);
  form.elements.token.value = token;
  form.requestSubmit();
}
