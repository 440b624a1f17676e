// Benchmarks 1 to 4: actions in containers, the engine against the docker CLI doing the same.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Engine } from '../main/core/engine.js';
import { alternate, freeBytes, phaseNote, sh, syncDisks, type BenchContext } from './context.js';
import { timeCommand } from './measure.js';
import { newRow, recordPeak } from './report.js';
import type { ActionSpec, Phases } from './worker-protocol.js';

const MEMORY = '1GiB';
const MEMORY_BYTES = 1024 ** 3;

function action(ctx: BenchContext, command: string[]): ActionSpec {
  return { image: ctx.image, command, cpuCores: ctx.config.cpuCores, memory: MEMORY };
}

/** 1: one trivial action, launch to succeeded, against one `docker run --rm`. */
export async function trivialAction(ctx: BenchContext): Promise<void> {
  const spec = action(ctx, ['true']);
  const row = newRow(
    '1',
    'one trivial action (busybox `true`): launch → succeeded, artifacts collected',
    '`docker run --rm --network none` of the same image and command',
    { kind: 'ratio', max: 1.15 },
  );
  const dockerRun = (name: string) =>
    `docker run --rm --network none --name ${name} ${sh(ctx.image)} true`;
  // The first container after an image import or a daemon restart is slower on both sides.
  ctx.progress('1: warm-up of both sides (not counted)');
  await ctx.worker({ kind: 'trivial', tmpDir: ctx.config.tmpDir, action: spec });
  await timeCommand(dockerRun(`kleinkram-bench-${ctx.runId}-warm`));

  const phases: Phases[] = [];
  await alternate(
    ctx,
    '1',
    ctx.config.rounds[1],
    async () => {
      const result = await ctx.worker({ kind: 'trivial', tmpDir: ctx.config.tmpDir, action: spec });
      row.app.push(result.ms);
      recordPeak([row], 'app', result.maxRssKb);
      phases.push(result.phases);
    },
    async (round) => {
      const result = await timeCommand(dockerRun(`kleinkram-bench-${ctx.runId}-1-${round}`));
      row.base.push(result.ms);
      recordPeak([row], 'base', result.maxRssKb);
    },
  );
  row.notes.push(phaseNote(phases));
  ctx.emit(row);
}

/** The number of executions the engine runs at once for the benchmark template. */
export async function engineConcurrency(ctx: BenchContext): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(ctx.config.tmpDir, 'kleinkram-bench-probe-'));
  const engine = Engine.open({ dataDir, pullImages: false });
  try {
    const options = engine.runnerOptions;
    return Math.max(
      1,
      Math.min(
        options.maxConcurrent,
        Math.floor(options.machineCpus / ctx.config.cpuCores + 1e-9),
        Math.floor(options.machineMemoryBytes / MEMORY_BYTES),
      ),
    );
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 2: many trivial actions at once, against `xargs -P` of the same `docker run`s. */
export async function burst(ctx: BenchContext): Promise<void> {
  const count = ctx.config.burstActions;
  const concurrency = await engineConcurrency(ctx);
  const spec = action(ctx, ['true']);
  const row = newRow(
    '2',
    `${count} trivial actions launched at once, the engine's default concurrency (${concurrency})`,
    `the same ${count} \`docker run --rm --network none\` with \`xargs -P ${concurrency}\``,
    { kind: 'ratio', max: 1.15 },
  );
  const phases: Phases[] = [];
  const seen: number[] = [];
  await alternate(
    ctx,
    '2',
    ctx.config.rounds[2],
    async () => {
      const result = await ctx.worker({
        kind: 'burst',
        tmpDir: ctx.config.tmpDir,
        action: spec,
        count,
      });
      row.app.push(result.ms);
      recordPeak([row], 'app', result.maxRssKb);
      phases.push(result.phases);
      seen.push(result.maxRunning);
    },
    async (round) => {
      const name = `kleinkram-bench-${ctx.runId}-2-${round}-{}`;
      const result = await timeCommand(
        `seq 1 ${count} | xargs -P ${concurrency} -I{} ` +
          `docker run --rm --network none --name ${name} ${sh(ctx.image)} true`,
      );
      row.base.push(result.ms);
      recordPeak([row], 'base', result.maxRssKb);
    },
  );
  row.notes.push(
    `template asks for ${ctx.config.cpuCores} CPU core(s) of ${os.availableParallelism()}: ` +
      `concurrency ${concurrency}, most seen running at once ${Math.max(...seen)}`,
    phaseNote(phases),
  );
  ctx.emit(row);
}

/** 3: an action that floods its log, every line stored, against docker run + docker logs. */
export async function logFlood(ctx: BenchContext): Promise<void> {
  const lines = ctx.config.logLines;
  // 40 characters and a newline per line: about 41 MB for a million lines.
  const program = `BEGIN { for (i = 1; i <= ${lines}; i++) printf "line %07d of the benchmark log stream\\n", i }`;
  const spec = action(ctx, ['awk', program]);
  const megabytes = ((lines * 41) / 1e6).toFixed(0);
  const row = newRow(
    '3',
    `an action printing ${lines.toLocaleString('en')} log lines (${megabytes} MB): run to end, every line stored`,
    '`docker run` of it (output discarded), then `docker logs > /dev/null`, then `docker rm`',
    { kind: 'ratio', max: 1.3, maxRssMb: 300 },
  );
  const phases: Phases[] = [];
  const lost: string[] = [];
  await alternate(
    ctx,
    '3',
    ctx.config.rounds[3],
    async (round) => {
      const result = await ctx.worker({
        kind: 'log-flood',
        tmpDir: ctx.config.tmpDir,
        action: spec,
        lines,
      });
      const expectedLast = `line ${String(lines).padStart(7, '0')} of the benchmark log stream`;
      if (result.stored !== lines || result.lastLine !== expectedLast) {
        // Kept as a finding rather than an error: how many lines were lost is the point.
        lost.push(
          `round ${round + 1}: stored ${result.stored} of ${lines} lines, the last ` +
            `"${result.lastLine}"`,
        );
      }
      row.app.push(result.ms);
      recordPeak([row], 'app', result.maxRssKb);
      phases.push(result.phases);
    },
    async (round) => {
      const name = `kleinkram-bench-${ctx.runId}-3-${round}`;
      const result = await timeCommand(
        `docker run --network none --name ${name} ${sh(ctx.image)} awk ${sh(program)} ` +
          `> /dev/null && docker logs ${name} > /dev/null 2>&1; status=$?; ` +
          `docker rm ${name} > /dev/null; exit $status`,
      );
      row.base.push(result.ms);
      recordPeak([row], 'base', result.maxRssKb);
    },
  );
  if (lost.length > 0) row.broken = lost.join('; ');
  else row.notes.push(`every round verified: ${lines} lines stored, the last one intact`);
  row.notes.push(phaseNote(phases));
  ctx.emit(row);
}

/** 4: an action that writes many large files to /out; collection against cp -r + sha256sum. */
export async function artifacts(ctx: BenchContext): Promise<void> {
  const { artifactFiles: files, artifactFileMiB: mib } = ctx.config;
  const fileBytes = mib * 1024 * 1024;
  const total = files * fileBytes;
  const gb = (total / 1e9).toFixed(1);
  // One random seed, then a copy per file with its number stamped over the first bytes:
  // every file differs, and the container spends its time writing rather than in the kernel's
  // random number generator.
  const script =
    `dd if=/dev/urandom of=/tmp/seed bs=1048576 count=${mib} 2>/dev/null && i=1 && ` +
    `while [ $i -le ${files} ]; do f=$(printf '/out/file-%04d.bin' $i); cat /tmp/seed > $f; ` +
    `printf '%08d' $i | dd of=$f bs=8 count=1 conv=notrunc 2>/dev/null; i=$((i + 1)); done`;
  const spec = action(ctx, ['sh', '-c', script]);
  const needed = total * 2 + 1024 ** 3;
  if (freeBytes(ctx.config.tmpDir) < needed) {
    ctx.progress(`4: skipped: needs ${(needed / 1e9).toFixed(1)} GB free in ${ctx.config.tmpDir}`);
    return;
  }
  const collect = newRow(
    '4',
    `an action writing ${gb} GB in ${files} files to /out: collection (sizes, sha256, recorded)`,
    '`cp -r` of the same files, then `sha256sum` of the copies',
    { kind: 'ratio', max: 1.1 },
  );
  const whole = newRow(
    '4b',
    `the same action, launch → succeeded (writing and collection)`,
    '`docker run --rm` writing the same files into a bind-mounted folder, then `cp -r` and `sha256sum`',
    { kind: 'ratio', max: 1.1 },
  );
  const phases: Phases[] = [];
  const uid = `${os.userInfo().uid}:${os.userInfo().gid}`;
  await alternate(
    ctx,
    '4',
    ctx.config.rounds[4],
    async () => {
      syncDisks();
      const result = await ctx.worker({
        kind: 'artifacts',
        tmpDir: ctx.config.tmpDir,
        action: spec,
        files,
        fileBytes,
      });
      collect.app.push(result.collectMs);
      whole.app.push(result.ms);
      recordPeak([collect, whole], 'app', result.maxRssKb);
      phases.push(result.phases);
    },
    async (round) => {
      syncDisks();
      const source = ctx.tempDir(
        fs.mkdtempSync(path.join(ctx.config.tmpDir, 'kleinkram-bench-out-')),
      );
      const copy = ctx.tempDir(`${source}-copy`);
      try {
        const name = `kleinkram-bench-${ctx.runId}-4-${round}`;
        // As the engine does, the container runs as this user, so the files are this user's.
        const write = await timeCommand(
          `docker run --rm --network none --user ${uid} --name ${name} ` +
            `--mount type=bind,source=${sh(source)},target=/out ${sh(ctx.image)} sh -c ${sh(script)}`,
        );
        const copyAndHash = await timeCommand(
          `cp -r ${sh(source)} ${sh(copy)} && cd ${sh(copy)} && sha256sum -- * > /dev/null`,
        );
        const copied = fs.readdirSync(copy).length;
        if (copied !== files) throw new Error(`the baseline wrote ${copied} files, not ${files}`);
        collect.base.push(copyAndHash.ms);
        whole.base.push(write.ms + copyAndHash.ms);
        recordPeak([collect], 'base', copyAndHash.maxRssKb);
        recordPeak([whole], 'base', write.maxRssKb);
        recordPeak([whole], 'base', copyAndHash.maxRssKb);
      } finally {
        ctx.removeTemp(source);
        ctx.removeTemp(copy);
      }
    },
  );
  collect.notes.push(
    'app: from the container exit (Docker FinishedAt) to the collected event; every round ' +
      `verified ${files} artifacts of ${fileBytes} bytes`,
  );
  whole.notes.push(phaseNote(phases));
  ctx.emit(collect);
  ctx.emit(whole);
}
