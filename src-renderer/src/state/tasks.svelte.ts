import { SvelteSet } from 'svelte/reactivity';
import { describeError, type ShownError } from '../lib/errors';
import type { Form } from './form.svelte';
import { notices } from './notices.svelte';

/** What a call gives its screen: the value, or the error already shown at its field or in the notices. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ShownError };

/**
 * The one place calls run: which tasks are running (for busy buttons and
 * progress), and where a failure goes (its form's field, else a notice).
 * Every state module runs its calls here; screens get a Result.
 */
class Tasks {
  private readonly running = new SvelteSet<string>();
  private readonly listeners: ((error: ShownError) => void)[] = [];

  /** True while `task` runs. */
  busy(task: string): boolean {
    return this.running.has(task);
  }

  /** True while any task runs. */
  get any(): boolean {
    return this.running.size > 0;
  }

  /** Calls `listener` with each failure (the session uses it to notice a lock or a lost connection). */
  onFailure(listener: (error: ShownError) => void): void {
    this.listeners.push(listener);
  }

  async run<T>(task: string, action: () => Promise<T>, form?: Form<object>): Promise<Result<T>> {
    this.running.add(task);
    try {
      return await this.settle(task, action, form);
    } finally {
      this.running.delete(task);
    }
  }

  /** As {@link run}, for a load the person did not ask for (the choices a form offers): no button waits for it. */
  background<T>(task: string, action: () => Promise<T>): Promise<Result<T>> {
    return this.settle(task, action);
  }

  private async settle<T>(task: string, action: () => Promise<T>, form?: Form<object>): Promise<Result<T>> {
    notices.clear(task);
    form?.clearErrors();
    try {
      return { ok: true, value: await action() };
    } catch (thrown) {
      const error = describeError(thrown);
      if (form?.place(error) !== true) notices.error(error, task);
      for (const listener of this.listeners) listener(error);
      return { ok: false, error };
    }
  }
}

export const tasks = new Tasks();
