/** Preferences of this browser or app window that hold nothing secret, kept in localStorage (the theme has its own module). */

const CLIPBOARD_KEY = 'strongroom.clipboardSeconds';
/** How long a copied secret stays on the clipboard unless set otherwise, as password managers do. */
export const DEFAULT_CLIPBOARD_SECONDS = 30;
/** The delays offered; 0 leaves the clipboard alone. */
export const CLIPBOARD_CHOICES = [10, 20, 30, 60, 120, 300, 0] as const;

function storedClipboardSeconds(): number {
  const value = Number(localStorage.getItem(CLIPBOARD_KEY) ?? DEFAULT_CLIPBOARD_SECONDS);
  return (CLIPBOARD_CHOICES as readonly number[]).includes(value) ? value : DEFAULT_CLIPBOARD_SECONDS;
}

class Preferences {
  /** Seconds after which a copied secret is cleared from the clipboard; 0: never. */
  clipboardSeconds = $state(storedClipboardSeconds());

  setClipboardSeconds(seconds: number): void {
    this.clipboardSeconds = seconds;
    localStorage.setItem(CLIPBOARD_KEY, String(seconds));
  }
}

export const preferences = new Preferences();
