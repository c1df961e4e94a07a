// The sign-in address (`applied serve` and `applied open` open a page that forwards here; the
// extension opens it directly) is /login#code=<one-time code>: the fragment never leaves the
// browser, so the code stays out of server logs and Referer headers; it works once, within a
// minute. (A bare /login#<token>, from older links, is sent as the token.)
//
// "Open Applied from the extension" is a button the extension's own script on this page shows
// and answers (extension/webview.js): without the extension it stays hidden.
//
// The form is sent with fetch() rather than form.submit(): under the Referrer-Policy
// "no-referrer" header a submitted form carries "Origin: null", which the companion
// (rightly) refuses as a foreign page; a same-origin fetch carries our own origin.
const form = document.getElementById("login-form");
const problem = document.getElementById("login-error");
const linkProblem = document.getElementById("link-problem");

async function signIn(fields) {
  const response = await fetch(form.action, {
    method: "POST", body: new URLSearchParams(fields), headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  if (response.ok && response.redirected) {
    window.location.assign(response.url);
    return;
  }
  // Signed in on 127.0.0.1: the web view lives at its own address, where a new one-time code signs in.
  const next = response.ok ? (await response.json().catch(() => null))?.next : null;
  if (next) {
    window.location.assign(next);
    return;
  }
  let message = "Signing in did not work; reload the page and try again.";
  let code = "";
  try {
    ({ message, code } = (await response.json()).error);
  } catch {
    // not JSON: keep the general message
  }
  const sentence = message.charAt(0).toUpperCase() + message.slice(1) + ".";
  if (code === "sign_in_code") {
    // A link used already or too late: say so first, and what to do now (the extension, above the form).
    linkProblem.textContent = sentence;
    linkProblem.hidden = false;
  } else {
    problem.textContent = sentence;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  problem.textContent = "";
  signIn({ token: form.elements.token.value.trim() }).catch(() => {
    problem.textContent = "Applied did not answer: is the companion still running?";
  });
});

const fragment = decodeURIComponent(window.location.hash.slice(1));
if (fragment) {
  history.replaceState(null, "", window.location.pathname);
  const fields = fragment.startsWith("code=") ? { code: fragment.slice(5) } : { token: fragment };
  signIn(fields).catch(() => {
    problem.textContent = "Applied did not answer: is the companion still running?";
  });
}
