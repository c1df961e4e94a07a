// The link `applied serve` opens is /login#<token>: the fragment never leaves the browser,
// so the token stays out of server logs and Referer headers. Fill the form and send it.
const token = decodeURIComponent(window.location.hash.slice(1));
if (token) {
  history.replaceState(null, "", window.location.pathname);
  const form = document.getElementById("login-form");
  form.elements.token.value = token;
  form.submit();
}
