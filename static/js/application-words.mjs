// Progressive enhancement only: keeps the total word count on the draft page up to date as
// people type. GOV.UK's character count already counts each answer, and the server checks
// every limit again when the draft is saved or submitted.
const total = document.querySelector("[data-word-total]");

if (total) {
  const boxes = document.querySelectorAll("textarea.govuk-js-character-count");
  const limit = Number(total.dataset.wordLimit);
  const count = (text) => (text.match(/\S+/g) || []).length;
  const update = () => {
    let words = 0;
    boxes.forEach((box) => {
      words += count(box.value);
    });
    total.textContent = `Your answers add up to ${words} of the ${limit} words allowed in total.`;
    total.classList.toggle("govuk-error-message", words > limit);
  };
  boxes.forEach((box) => box.addEventListener("input", update));
}
