// The PouchDB side of `cargo xtask bench sync-peer`: writes N delivery-like events into a
// local PouchDB (LevelDB, one `put` per event, as a device records them one action at a time)
// and pushes them to a pouchdb-server over loopback with PouchDB's own replication (its
// default batch size). Prints one JSON line: {"write_s", "push_s", "docs"}.
//
// node pouch.js <node_modules dir> <server url> <local db dir> <events>
'use strict';
const path = require('path');
const [modules, server, dir, events] = process.argv.slice(2);
const PouchDB = require(path.join(modules, 'pouchdb'));
const n = Number(events);

async function main() {
  const local = new PouchDB(path.join(dir, 'device'));
  const remote = new PouchDB(`${server}/deliveries`);
  await remote.info(); // creates the database before the clock starts
  const device = 'dev-0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  const day = new Date().toISOString().slice(0, 10);
  const t0 = process.hrtime.bigint();
  for (let seq = 1; seq <= n; seq++) {
    const stop = Math.floor((seq - 1) / 2);
    await local.put({
      _id: `${device}:${String(seq).padStart(8, '0')}`,
      type: 'parcel_delivered',
      device_id: device,
      seq,
      recorded_by: 'D-1-999999',
      tour_id: `bench-${day}`,
      stop_id: `S${String(stop).padStart(4, '0')}`,
      tracking_id: `TBA${String(100000000 + seq)}`,
      method: { recipient: { name: 'Sam' } },
      at: new Date().toISOString(),
    });
  }
  const t1 = process.hrtime.bigint();
  const result = await local.replicate.to(remote);
  const t2 = process.hrtime.bigint();
  if (result.docs_written !== n) {
    throw new Error(`pushed ${result.docs_written} of ${n} documents`);
  }
  const s = (a, b) => Math.round(Number(b - a) / 1e6) / 1000;
  console.log(JSON.stringify({ write_s: s(t0, t1), push_s: s(t1, t2), docs: result.docs_written }));
}

main().catch((e) => {
  console.error(`pouch.js: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
