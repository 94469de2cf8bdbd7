// The token of rows read without a lock: the same text as rowsUnchanged's SQL
// (string_agg of key ':' xmin, ordered by key) — integer keys in numeric
// order, UUIDs in byte order — whatever order the rows came in.
import t from 'tap';
import { rowsToken } from '../../../server/db/row-versions.js';

t.equal(rowsToken([]), '', 'no rows: the empty token, as coalesce gives it');
t.equal(
  rowsToken([
    { key: 10, rowVersion: '900' },
    { key: 2, rowVersion: '801' },
    { key: 9, rowVersion: '802' },
  ]),
  '2:801,9:802,10:900',
  'versions in numeric order, not as text (10 after 9)',
);
t.equal(
  rowsToken([
    { key: 'f0000000-0000-4000-8000-000000000000', rowVersion: '5' },
    { key: '0a000000-0000-4000-8000-000000000000', rowVersion: '6' },
    { key: 'a0000000-0000-4000-8000-000000000000', rowVersion: '7' },
  ]),
  '0a000000-0000-4000-8000-000000000000:6,a0000000-0000-4000-8000-000000000000:7,f0000000-0000-4000-8000-000000000000:5',
  'UUIDs in byte order (digits before letters), as PostgreSQL orders uuid',
);
