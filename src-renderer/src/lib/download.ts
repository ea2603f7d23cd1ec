/** Offers `parts`, one after another, to the person as a file download named `name` (JSON unless `type` says otherwise). */
export function download(name: string, parts: BlobPart[], type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
