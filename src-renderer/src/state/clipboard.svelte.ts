import { formatDuration } from '../lib/format';
import { preferences } from './preferences.svelte';
import { session } from './session.svelte';

/** What the clipboard did for one Copy button, shown next to it. */
export interface CopyNotice {
  /** The Copy button it is about. */
  owner: string;
  text: string;
}

interface Pending {
  owner: string;
  text: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Copies to the clipboard, and clears a copied secret after the delay set in
 * Settings (and at once when the vault locks), as password managers do: only
 * when the clipboard still holds what was copied, where the clipboard can be
 * read (where it cannot, it is cleared anyway). A browser lets a page write
 * the clipboard only while it has the focus: a clearing that finds the window
 * in the background is done as soon as it comes back.
 */
class Clipboard {
  notice = $state<CopyNotice | undefined>(undefined);
  private pending: Pending | undefined;

  constructor() {
    session.onLocked(() => void this.clearNow());
    window.addEventListener('focus', () => {
      if (this.pending !== undefined && this.pending.timer === undefined) void this.clearNow();
    });
  }

  /** Copies `text` for the button `owner`; a `secret` is cleared again after the delay. */
  async copy(owner: string, text: string, secret: boolean): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.notice = { owner, text: 'The clipboard refused the copy: show the value, select it and copy it yourself.' };
      return;
    }
    this.forget(); // the clipboard no longer holds an earlier secret
    const delay = preferences.clipboardSeconds;
    if (!secret) this.notice = { owner, text: 'Copied.' };
    else if (delay === 0) this.notice = { owner, text: 'Copied; the clipboard is not cleared (see Settings).' };
    else {
      this.notice = { owner, text: `Copied; the clipboard clears in ${formatDuration(delay)}.` };
      this.pending = { owner, text, timer: setTimeout(() => void this.clearNow(), delay * 1000) };
    }
  }

  /** Clears the secret copied last, if the clipboard still holds it. */
  async clearNow(): Promise<void> {
    const pending = this.pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    pending.timer = undefined;
    let holds = true;
    try {
      holds = (await navigator.clipboard.readText()) === pending.text;
    } catch {
      // Not readable here: cleared anyway.
    }
    try {
      if (holds) await navigator.clipboard.writeText('');
    } catch {
      this.tell(pending.owner, 'The clipboard still holds the copy: it is cleared when you come back to this window.');
      return;
    }
    this.pending = undefined;
    this.tell(pending.owner, holds ? 'The clipboard was cleared.' : 'The clipboard had changed since the copy, so it was left alone.');
  }

  private forget(): void {
    clearTimeout(this.pending?.timer);
    this.pending = undefined;
  }

  private tell(owner: string, text: string): void {
    if (this.notice?.owner === owner) this.notice = { owner, text };
  }
}

export const clipboard = new Clipboard();
