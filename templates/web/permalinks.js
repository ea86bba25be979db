// Paragraph numbers are permalinks. Each one a tab stop made 70 stops on a long text: they are
// one, the first number, and the arrow keys move from number to number (a roving tab stop).
(() => {
  const numbers = Array.from(document.querySelectorAll("a.number"));
  if (numbers.length === 0) return;
  numbers[0].tabIndex = 0;
  document.addEventListener("keydown", (event) => {
    const at = numbers.indexOf(document.activeElement);
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    const next = at < 0 || !step ? undefined : numbers[at + step];
    if (!next) return;
    event.preventDefault();
    numbers[at].tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  });
})();
