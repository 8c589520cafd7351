// A survey question shown only after a given answer to an earlier one: hidden (and its
// answers left out) until then. The server applies the same rule to what is sent.
(() => {
  const form = document.querySelector("form.survey");
  if (!form) return;
  const answered = (key) => {
    const block = document.getElementById(`q-${key}`);
    if (!block || block.hidden) return [];
    return [...block.querySelectorAll("input:checked")].map((input) => input.value);
  };
  const update = () => {
    for (const block of form.querySelectorAll("fieldset[data-show-if]")) {
      const wanted = block.dataset.showValues.split(",");
      const shown = answered(block.dataset.showIf).some((value) => wanted.includes(value));
      block.hidden = !shown;
      for (const input of block.querySelectorAll("input, textarea")) input.disabled = !shown;
    }
  };
  form.addEventListener("change", update);
  update();
})();
