// Benchmarks 5 and 6: the engine's work on files and on its store, against find, sha256sum
// and the sqlite3 shell.
import { EXECUTION_SELECT } from '../main/core/executions.js';
import { LOG_LINE_COLUMNS } from '../main/core/logs.js';
import { alternate, freeBytes, sh, syncDisks, type BenchContext } from './context.js';
import { formatMs, median, timeCommand } from './measure.js';
import { generateMission } from './mission-fixture.js';
import { newRow, recordPeak } from './report.js';
import { SqliteShell } from './sqlite-shell.js';
import { ensureStore } from './store-fixture.js';

/** 5: registering a large mission, rescanning it unchanged, and hashing it. */
export async function missionScan(ctx: BenchContext): Promise<void> {
  const { missionFiles: files, missionFileKiB: kib } = ctx.config;
  const fileBytes = kib * 1024;
  const gb = ((files * fileBytes) / 1e9).toFixed(1);
  const needed = files * fileBytes + 1024 ** 3;
  if (freeBytes(ctx.config.tmpDir) < needed) {
    ctx.progress(`5: skipped: needs ${(needed / 1e9).toFixed(1)} GB free in ${ctx.config.tmpDir}`);
    return;
  }
  const register = newRow(
    '5',
    `a mission of ${files.toLocaleString('en')} files (${gb} GB): first registration (no hashing)`,
    "`find -type f -printf '%P %s %T@'` of the tree",
    { kind: 'ratio', max: 1.2 },
  );
  const rescan = newRow(
    '5b',
    'the same mission: rescan with nothing changed',
    '`find -printf` of the tree again',
    { kind: 'absolute', maxMs: 1000 },
  );
  const hash = newRow(
    '5c',
    'the same mission: sha256 of every file (`missions.hash`, cached afterwards)',
    '`find -print0 | xargs -0 sha256sum`',
    { kind: 'ratio', max: 1.2 },
  );
  ctx.progress(`5: writing a mission of ${files} files of ${kib} KiB`);
  const folder = ctx.tempDir(generateMission(ctx.config.tmpDir, files, fileBytes, ctx.progress));
  syncDisks();
  const find = `find ${sh(folder)} -type f -printf '%P\\t%s\\t%T@\\n' > /dev/null`;
  try {
    await alternate(
      ctx,
      '5',
      ctx.config.rounds[5],
      async () => {
        const result = await ctx.worker({
          kind: 'mission',
          tmpDir: ctx.config.tmpDir,
          folder,
          files,
        });
        if (result.hashed !== files) throw new Error(`hashed ${result.hashed} of ${files} files`);
        register.app.push(result.registerMs);
        rescan.app.push(result.rescanMs);
        hash.app.push(result.hashMs);
        recordPeak([register, rescan, hash], 'app', result.maxRssKb);
      },
      async () => {
        const first = await timeCommand(find);
        const again = await timeCommand(find);
        const sums = await timeCommand(
          `cd ${sh(folder)} && find . -type f -print0 | xargs -0 sha256sum > /dev/null`,
        );
        register.base.push(first.ms);
        rescan.base.push(again.ms);
        hash.base.push(sums.ms);
        recordPeak([register], 'base', first.maxRssKb);
        recordPeak([rescan], 'base', again.maxRssKb);
        recordPeak([hash], 'base', sums.maxRssKb);
      },
    );
  } finally {
    ctx.removeTemp(folder);
  }
  register.notes.push('both sides with the tree in the page cache (generated just before)');
  hash.notes.push(`every round verified: ${files} hashes stored`);
  ctx.emit(register);
  ctx.emit(rescan);
  ctx.emit(hash);
}

const OPEN_SQL = [
  'PRAGMA journal_mode = WAL;',
  'PRAGMA foreign_keys = ON;',
  'PRAGMA busy_timeout = 10000;',
  'PRAGMA synchronous = NORMAL;',
  `PRAGMA journal_size_limit = ${64 * 1024 * 1024};`,
  'PRAGMA user_version;',
  "SELECT value FROM meta WHERE key = 'store_id';",
].join('\n');

// The statements ExecutionStore.list and LogStore.read prepare, with the values written in.
const LIST_SQL =
  EXECUTION_SELECT.trim().replace(/\s+/g, ' ') + ' ORDER BY e.number DESC LIMIT 100;';

const PAGE_SIZE = 1000;

function pageSql(executionId: string, afterSeq: number): string {
  return (
    `SELECT ${LOG_LINE_COLUMNS} FROM log_lines WHERE execution_id = '${executionId}' ` +
    `AND seq > ${afterSeq} ` +
    `ORDER BY seq LIMIT ${PAGE_SIZE};`
  );
}

function searchSql(executionId: string, search: string): string {
  return (
    `SELECT ${LOG_LINE_COLUMNS} FROM log_lines WHERE execution_id = '${executionId}' AND seq > 0 ` +
    `AND text LIKE '%${search}%' ESCAPE '\\' ORDER BY seq LIMIT ${PAGE_SIZE};`
  );
}

/** 6: a large store: open it, list executions, page through and search a long log. */
export async function bigStore(ctx: BenchContext): Promise<void> {
  const { storeExecutions: executions, storeLogLines: lines } = ctx.config;
  const needed = lines * 160 + 1024 ** 3;
  if (freeBytes(ctx.config.tmpDir) < needed) {
    ctx.progress(`6: skipped: needs ${(needed / 1e9).toFixed(1)} GB free in ${ctx.config.tmpDir}`);
    return;
  }
  const fixture = await ensureStore(
    ctx.config.tmpDir,
    { executions, logLines: lines },
    ctx.progress,
  );
  const store = `a store of ${executions.toLocaleString('en')} executions and ${lines.toLocaleString('en')} log lines`;
  const shell = 'the same SQL typed into the `sqlite3` shell';
  const open = newRow(
    '6',
    `${store}: open (Engine.open)`,
    "`.open` and the engine's pragmas and first query typed into the `sqlite3` shell",
    { kind: 'ratio', max: 1.5 },
  );
  const list = newRow('6b', 'the same store: newest page of 100 executions', shell, {
    kind: 'ratio',
    max: 1.5,
  });
  const page = newRow(
    '6c',
    `the same store: a page of ${PAGE_SIZE} log lines in the middle of a ${fixture.executionLines.toLocaleString('en')}-line log`,
    shell,
    { kind: 'ratio', max: 1.5 },
  );
  const search = newRow(
    '6d',
    `the same store: search that log ("${fixture.search}", ${fixture.searchHits} hits)`,
    shell,
    { kind: 'ratio', max: 1.5 },
  );
  const rows = [open, list, page, search];
  const expected = {
    list: Math.min(100, executions),
    page: Math.min(PAGE_SIZE, fixture.executionLines - fixture.middleSeq),
    search: Math.min(PAGE_SIZE, fixture.searchHits),
  };
  const warm = { list: [] as number[], page: [] as number[], search: [] as number[] };
  const check = (what: string, got: number, want: number) => {
    if (got !== want) throw new Error(`6: ${what} returned ${got} rows, expected ${want}`);
  };
  await alternate(
    ctx,
    '6',
    ctx.config.rounds[6],
    async () => {
      const result = await ctx.worker({
        kind: 'store',
        dataDir: fixture.dataDir,
        executionId: fixture.executionId,
        afterSeq: fixture.middleSeq,
        pageSize: PAGE_SIZE,
        search: fixture.search,
      });
      check('the engine list', result.listRows, expected.list);
      check('the engine page', result.pageRows, expected.page);
      check('the engine search', result.searchRows, expected.search);
      open.app.push(result.openMs);
      list.app.push(result.listMs);
      page.app.push(result.pageMs);
      search.app.push(result.searchMs);
      warm.list.push(result.warm.listMs);
      warm.page.push(result.warm.pageMs);
      warm.search.push(result.warm.searchMs);
      recordPeak(rows, 'app', result.maxRssKb);
    },
    async () => {
      const session = await SqliteShell.start();
      try {
        const opened = await session.run(`.open "${fixture.database}"\n${OPEN_SQL}`);
        const listed = await session.run(LIST_SQL);
        const paged = await session.run(pageSql(fixture.executionId, fixture.middleSeq));
        const found = await session.run(searchSql(fixture.executionId, fixture.search));
        check('the shell list', listed.lines, expected.list);
        check('the shell page', paged.lines, expected.page);
        check('the shell search', found.lines, expected.search);
        open.base.push(opened.ms);
        list.base.push(listed.ms);
        page.base.push(paged.ms);
        search.base.push(found.ms);
        recordPeak(rows, 'base', session.peakRssKb());
      } finally {
        await session.close();
      }
    },
  );
  const fileGb = (fixture.bytes / 1024 ** 3).toFixed(2);
  open.notes.push(
    `store file ${fileGb} GiB; app: a fresh engine process per round with better-sqlite3's ` +
      'native library loaded, each call the first of its kind; shell: a fresh shell per ' +
      'round, the pipe round trip subtracted',
  );
  const warmNote = (values: number[]) =>
    `the same call repeated in that process (warm): median ${formatMs(median(values))}`;
  list.notes.push(warmNote(warm.list));
  page.notes.push(warmNote(warm.page));
  search.notes.push(warmNote(warm.search));
  for (const row of rows) ctx.emit(row);
}
