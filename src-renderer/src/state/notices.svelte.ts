import { detailOf, type ShownError } from '../lib/errors';

/** A message about a call, shown in the notice strip under the header until dismissed. */
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** What happened, in words a person can act on. */
  text: string;
  /** The AWS exception name and message, for an error. */
  detail?: string;
  /** The task it came from: a new notice of the same task replaces it. */
  task?: string;
}

/**
 * The one place a call's failure (one not about a form field) is shown: a
 * strip between the header and the screen, which pushes the screen down
 * rather than covering it.
 */
class Notices {
  list = $state<Notice[]>([]);
  private next = 1;

  error(error: ShownError, task?: string): void {
    this.add({ kind: 'error', text: error.text, detail: detailOf(error), ...(task === undefined ? {} : { task }) });
  }

  info(text: string, task?: string): void {
    this.add({ kind: 'info', text, ...(task === undefined ? {} : { task }) });
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }

  /** Drops the notices of `task` (it runs again, or succeeded). */
  clear(task: string): void {
    this.list = this.list.filter((n) => n.task !== task);
  }

  /** Drops every notice but a lost connection's: the screen they were about has gone. */
  clearScreen(): void {
    this.list = this.list.filter((n) => n.task === 'connection');
  }

  private add(notice: Omit<Notice, 'id'>): void {
    const kept = notice.task === undefined ? this.list : this.list.filter((n) => n.task !== notice.task);
    this.list = [...kept.slice(-4), { ...notice, id: this.next++ }];
  }
}

export const notices = new Notices();
