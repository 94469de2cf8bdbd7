/**
 * `vigie admit`: the hub operator admits an agency once and hands its
 * administrator a one-time code out of band. The operator token is read from
 * VIGIE_OPERATOR_TOKEN only: a token on the command line would be visible to
 * every local user in the process list.
 */
import { admitAgency } from '../../sdk/admin.js';
import { requiredOption, stringOption, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { formatTime } from '../format.js';
import { agencyId, agencyKind, names } from '../validate.js';

const admit: Command = {
  words: ['admit'],
  args: 'arg.agencyId',
  synopsis: 'synopsis.admit',
  summary: 'help.admit.summary',
  details: 'help.admit.details',
  options: {
    kind: { type: 'string', value: 'arg.kind', help: 'opt.kind' },
    'name-fr': { type: 'string', value: 'arg.text', help: 'opt.nameFr' },
    'name-en': { type: 'string', value: 'arg.text', help: 'opt.nameEn' },
    'valid-hours': { type: 'string', value: 'arg.hours', help: 'opt.validHours' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [id]) {
    const agency = agencyId(id);
    const kind = agencyKind(requiredOption(values, 'kind'));
    const agencyNames = names(values);
    const hoursText = stringOption(values, 'valid-hours');
    const validHours = hoursText === undefined ? undefined : Number(hoursText);
    if (validHours !== undefined && (!Number.isInteger(validHours) || validHours < 1 || validHours > 720)) {
      throw new UsageError('usage.badHours', { value: hoursText ?? '' });
    }
    const token = ctx.env.VIGIE_OPERATOR_TOKEN;
    if (!token) throw new CliError('error.operatorTokenMissing');
    const res = await admitAgency(ctx.hub, token, { agency, kind, names: agencyNames, ...(validHours ? { validHours } : {}) }, ctx.lang);
    if (ctx.json) return ctx.emit(res);
    ctx.say('admit.done', { agency: res.agency, time: formatTime(ctx, res.expiresAt) });
    ctx.print(res.code);
    ctx.note('admit.next', { agency: res.agency });
  },
};

export const operatorCommands = [admit];
