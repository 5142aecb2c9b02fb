// Submits the login form with fetch so a wrong token shows a message instead of a raw answer.
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("message");
  const body = new URLSearchParams({ token: document.getElementById("token").value });
  const response = await fetch("/login", { method: "POST", body, redirect: "manual" });
  if (response.type === "opaqueredirect" || response.ok || response.status === 303) {
    window.location.assign("/");
    return;
  }
  message.textContent = response.status === 429 ? "Too many failed attempts: wait a minute." : "Wrong token.";
});
