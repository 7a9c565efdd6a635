/* global rs, print -- run by mongosh, which provides them */
// Run once by the mongo-init service: makes mongo1..3 one replica set (transactions need one).
// Idempotent: a set that is already initiated is left alone.
try {
  rs.status();
  print('replica set already initiated');
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
  rs.initiate({
    _id: 'rs0',
    members: [
      { _id: 0, host: 'mongo1:27017', priority: 2 },
      { _id: 1, host: 'mongo2:27017', priority: 1 },
      { _id: 2, host: 'mongo3:27017', priority: 1 },
    ],
  });
  print('replica set rs0 initiated');
}
