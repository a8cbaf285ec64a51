// A modal confirmation before anything destructive; Escape or Cancel says no. For the widest
// actions the operator types a word (the queue's name) first.

export function confirmAction(text, typedWord = null) {
  const dialog = document.getElementById('confirm-dialog');
  const typed = document.getElementById('confirm-typed');
  const typedLabel = document.getElementById('confirm-typed-label');
  const ok = document.getElementById('confirm-ok');
  document.getElementById('confirm-text').textContent = text;
  typedLabel.hidden = !typedWord;
  typed.value = '';
  document.getElementById('confirm-word').textContent = typedWord || '';
  ok.disabled = !!typedWord;
  typed.oninput = () => { ok.disabled = typed.value !== typedWord; };
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    (typedWord ? typed : document.getElementById('confirm-cancel')).focus();
  });
}
