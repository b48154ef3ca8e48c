// The region picker of the call form: choosing a region of the directory adds it, on its own line, to the
// regions' text area (which works without JavaScript too).
const picker = document.getElementById("call-region-picker");
const target = picker ? document.getElementById(picker.dataset.target) : null;
if (picker && target) {
  picker.closest(".desk-region-picker").hidden = false;
  const known = new Set([...document.querySelectorAll("#call-regions option")].map((option) => option.value));
  picker.addEventListener("change", () => {
    const region = picker.value.trim();
    const lines = target.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (known.has(region) && !lines.includes(region)) {
      target.value = [...lines, region].join("\n");
    }
    picker.value = "";
  });
}
