/** Offers `parts`, one after another, to the person as a file download named `name` (JSON). */
export function download(name: string, parts: string[]): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
