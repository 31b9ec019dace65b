// The sign-in form: posts the login and password, then opens the inbox.
// Messages are set with textContent.
"use strict";

const form = document.getElementById("sign-in");
const error = document.getElementById("error");

// Where to go once signed in: `?next=` when it is one of the staff pages
// of this server, the inbox otherwise.
function next() {
  const wanted = new URLSearchParams(window.location.search).get("next") || "";
  return /^\/staff\/[A-Za-z0-9/_-]*$/.test(wanted) ? wanted : "/staff/";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const r = await fetch("/staff/api/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({
        login: form.login.value,
        password: form.password.value,
      }),
    });
    if (r.ok) {
      window.location.assign(next());
      return;
    }
    if (r.status === 429) {
      const wait = r.headers.get("Retry-After");
      error.textContent = "Trop d'essais. Réessayez dans " + (wait || "quelques") + " secondes.";
    } else {
      error.textContent = "Identifiant ou mot de passe incorrect.";
    }
    form.password.value = "";
    form.password.focus();
  } catch (e) {
    error.textContent = "Le serveur ne répond pas. Réessayez.";
  } finally {
    button.disabled = false;
  }
});
