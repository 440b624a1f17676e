// An action that tries to break out: write to its mission, read the host through
// /proc/1/root, fork past its process limit, reach a service on the host's loopback with no
// network, and use capabilities it was not given. Every attempt must fail, and the engine
// must run the next action as if nothing happened.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { addMission, openTestEngine, shellTemplate, tempDir } from '../helpers/engine.js';
import { Checks, type FaultRow } from './report.js';
import { texts } from './support.js';

const PIDS_LIMIT = 64;

const PROBES = String.raw`
probe() { if eval "$2" >/dev/null 2>&1; then echo "$1=ALLOWED"; else echo "$1=refused"; fi; }
probe write-data 'touch /data/intruder'
probe host-root 'cat "/proc/1/root$HOST_MARKER"'
probe host-loopback 'echo hello > "/dev/tcp/127.0.0.1/$HOST_PORT"'
probe name-lookup 'getent hosts deb.debian.org'
probe chown 'touch /tmp_disk/f && chown 4242:4242 /tmp_disk/f'
probe mknod 'mknod /tmp_disk/null c 1 3'
probe mount 'mount -t tmpfs none /tmp_disk'
perl -e 'my @kids; for (1..300) { my $p = fork(); last unless defined $p;
  if ($p == 0) { sleep 30; exit 0 } push @kids, $p }
  print "forks=", scalar(@kids), "\n"; kill "KILL", @kids; 1 while wait() > 0;'
grep CapEff /proc/self/status
`;

export async function isolationProbes(): Promise<FaultRow> {
  const engine = openTestEngine({ pidsLimit: PIDS_LIMIT });
  const folder = tempDir('kleinkram-fault-walls-');
  fs.writeFileSync(path.join(folder, 'data.txt'), 'mission data');
  const mission = await addMission(engine, folder);
  const marker = path.join(tempDir('kleinkram-host-'), 'secret.txt');
  fs.writeFileSync(marker, 'host secret');
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  engine.templates.create(
    shellTemplate('walls', PROBES, {
      environment: { HOST_MARKER: marker, HOST_PORT: String(port) },
      memory: '128MiB',
    }),
    'faults',
  );
  engine.templates.create(shellTemplate('after', 'echo fine > /out/fine.txt'), 'faults');
  engine.startRunner();
  const probe = await engine.waitForEnd(
    engine.launch({ template: 'walls', mission: mission.id }).id,
  );
  const results = Object.fromEntries(
    texts(engine, probe.id).map((line) => line.split(/[=:]\s*/, 2) as [string, string]),
  );
  const after = await engine.waitForEnd(
    engine.launch({ template: 'after', mission: mission.id }).id,
  );
  server.close();

  const checks = new Checks();
  const names = [
    'write-data',
    'host-root',
    'host-loopback',
    'name-lookup',
    'chown',
    'mknod',
    'mount',
  ];
  for (const name of names) checks.expect(results[name] === 'refused', `${name}: ${results[name]}`);
  const forks = Number(results.forks);
  checks.expect(
    forks > 0 && forks < PIDS_LIMIT,
    `forked ${results.forks} under a limit of ${PIDS_LIMIT}`,
  );
  checks.expect(results.CapEff === '0000000000000000', `CapEff ${results.CapEff}`);
  checks.expect(connections === 0, `${connections} connections reached the host`);
  checks.expect(!fs.existsSync(path.join(folder, 'intruder')), 'the mission was written to');
  checks.expect(probe.state === 'succeeded', `the probe ended ${probe.state}`);
  checks.expect(after.state === 'succeeded', `the next action ${after.state}`);
  checks.expect(engine.runnerStatus().available, 'the runner is unavailable');
  const artifactsLost = engine.artifacts.list(after.id).length === 1 ? 0 : 1;
  await engine.close();
  return {
    fault: 'isolation probes',
    executions: 2,
    expected: 'write /data, /proc/1/root, fork bomb, network, capabilities: all refused',
    happened: checks.summary(
      `${names.length} attempts refused, ${forks} forks of ${PIDS_LIMIT}, no capabilities; ` +
        'next action succeeded',
    ),
    linesLost: 0,
    artifactsLost,
    ok: checks.ok,
  };
}
