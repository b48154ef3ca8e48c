// Shows a call's deadline in the reader's own time zone, as their browser knows it, when it differs from the
// zones the page already states.
const deadline = document.querySelector("[data-call-deadline]");
const output = document.querySelector("[data-call-local-time]");
if (deadline && output) {
  const when = new Date(deadline.getAttribute("datetime"));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!Number.isNaN(when.getTime()) && zone && !deadline.parentElement.textContent.includes(zone)) {
    const text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "full", timeStyle: "short", timeZone: zone,
    }).format(when);
    output.textContent = `${output.dataset.label || ""} ${text} (${zone})`.trim();
    output.hidden = false;
  }
}
