/**
 * Saves text as a file the way a page does: a Blob and a link with `download`, clicked. A browser
 * tab and Electron's window both hand it to their download handling; nothing leaves the machine.
 */
export function saveTextFile(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the data by the time a task runs again; a minute leaves room for a slow one.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
