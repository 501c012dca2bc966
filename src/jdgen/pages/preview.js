// The open page follows the preview: each new state's <main> replaces the old one.
const source = new EventSource("/events");
source.onmessage = async (event) => {
  if (event.data === document.body.dataset.version) return;
  const response = await fetch(location.pathname.replace(/\/$/, "") + "/main", {cache: "no-store"});
  if (!response.ok) return;
  document.querySelector("main").outerHTML = await response.text();
  document.body.dataset.version = event.data;
};
