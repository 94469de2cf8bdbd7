/**
 * `vigie listen --ack`: an acknowledgement tells the sender that a person
 * has the message in hand and stops its escalation, so it is a person's act
 * on one message, never a side effect of printing it. After each message is
 * shown, the person at this terminal is asked, naming the message, whether
 * they acknowledge it; only an explicit yes signs. Questions wait their turn
 * while the stream goes on: a question never holds back the next alert or
 * notice, which is printed above it. Whatever was not answered yes is said
 * at once or when listening stops, with `vigie ack <id>` to do it later.
 */
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { OpenedMessage } from '../sdk/client.js';
import type { Context } from './context.js';
import { describeError } from './errors.js';
import { clean, typeInSentence } from './format.js';
import { isYes } from './prompt.js';

export class AckQuestions {
  private readonly waiting: OpenedMessage[] = [];
  private open: Interface | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  /**
   * @param acknowledge signs and sends the acknowledgement of one message
   * @param interrupt Ctrl-C while a question is open (the terminal is in raw mode: no SIGINT reaches the process)
   */
  constructor(
    private readonly ctx: Context,
    private readonly acknowledge: (m: OpenedMessage) => Promise<{ stored: boolean }>,
    private readonly interrupt: () => void,
  ) {}

  /** Queues the question for a message that was just shown. */
  offer(m: OpenedMessage): void {
    if (this.stopped) return;
    this.waiting.push(m);
    this.running ??= this.askEach().finally(() => (this.running = null));
  }

  /** Prints without mixing into an open question: the question line is cleared, the text printed, the question asked again below it. */
  show(print: () => void): void {
    if (!this.open) return print();
    cursorTo(process.stderr, 0);
    clearLine(process.stderr, 0);
    print();
    this.open.prompt(true);
  }

  /** Closes any open question (a no) and waits for an acknowledgement in flight; the messages never answered are returned. */
  async stop(): Promise<OpenedMessage[]> {
    this.stopped = true;
    if (this.open) {
      process.stderr.write('\n');
      this.open.close();
    }
    await this.running;
    return this.waiting.splice(0);
  }

  private async askEach(): Promise<void> {
    while (!this.stopped && this.waiting.length > 0) {
      const m = this.waiting[0]!;
      const yes = await this.ask(m);
      // Listening stopped while the question was open: it stays unanswered, never a yes.
      if (this.stopped) return;
      this.waiting.shift();
      if (yes) await this.sign(m);
      else this.declined(m);
    }
  }

  private ask(m: OpenedMessage): Promise<boolean> {
    const { ctx } = this;
    ctx.io.stderr(`${ctx.t('listen.ackContext', { type: typeInSentence(ctx, m.header.type), sender: clean(`${m.sender.label} (${m.header.sender.inbox})`), inbox: clean(m.inbox) })}\n`);
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    this.open = rl;
    return new Promise<boolean>((resolve) => {
      let answered = false;
      const answer = (text: string) => {
        if (answered) return;
        answered = true;
        this.open = null;
        rl.close();
        resolve(isYes(text));
      };
      rl.on('close', () => answer(''));
      rl.on('SIGINT', () => {
        // No further question: listening stops, and this one stays unanswered.
        this.stopped = true;
        process.stderr.write('\n');
        answer('');
        this.interrupt();
      });
      rl.question(ctx.t('prompt.ackMessage', { id: clean(m.id) }), answer);
    });
  }

  private async sign(m: OpenedMessage): Promise<void> {
    const { ctx } = this;
    let stored: boolean;
    try {
      ({ stored } = await this.acknowledge(m));
    } catch (err) {
      ctx.io.stderr(`${describeError(err, ctx.lang, ctx.hub).text}\n`);
      return this.declined(m);
    }
    if (ctx.json) ctx.emit({ event: 'acknowledged', id: m.id, inbox: m.inbox, alreadyAcknowledged: !stored });
    else ctx.say(stored ? 'ack.done' : 'ack.already', { id: m.id, inbox: m.inbox });
  }

  private declined(m: OpenedMessage): void {
    if (this.ctx.json) this.ctx.emit({ event: 'not_acknowledged', id: m.id, inbox: m.inbox });
    else this.ctx.say('listen.notAcknowledged', { id: m.id, inbox: m.inbox });
  }
}
