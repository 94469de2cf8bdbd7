/**
 * A progress bar on stderr for long checks. On a terminal it redraws one
 * line; elsewhere (`--progress` into a log file) it writes a line every
 * tenth, so that a log stays readable.
 */
import type { Context } from './context.js';
import type { MessageKey } from './i18n.js';

const WIDTH = 30;

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the line when a redraw was left open (the check stopped early). */
  end(): void;
}

export function progressBar(ctx: Context, key: MessageKey, tty: boolean): Progress {
  let open = false;
  let lastTenth = -1;
  const text = (done: number, total: number) => {
    const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
    return { percent, line: ctx.t(key, { done, total, percent }) };
  };
  return {
    update(done, total) {
      const { percent, line } = text(done, total);
      if (tty) {
        const filled = total > 0 ? Math.round((WIDTH * done) / total) : WIDTH;
        // \x1b[K clears what a longer previous line left behind.
        ctx.io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${line}\x1b[K`);
        open = done < total;
        if (!open) ctx.io.stderr('\n');
      } else if (Math.floor(percent / 10) > lastTenth) {
        lastTenth = Math.floor(percent / 10);
        ctx.io.stderr(`${line}\n`);
      }
    },
    end() {
      if (open) ctx.io.stderr('\n');
      open = false;
    },
  };
}
