import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../backends.js';
import { contractSuite } from './run.js';

const key = (domain: string, tag: string) => ({ domain, selector: 'heron', privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${tag}\n-----END PRIVATE KEY-----\n`, publicKeyBase64: `pub-${tag}` });

/** The DkimKeyStore and SecretStore contracts (domain/keys.ts): shared by every node, first writer wins. */
export function runKeyStoreContract(backend: Backend): void {
  contractSuite('DkimKeyStore and SecretStore', backend, (h) => {
    test('DKIM keys: putIfAbsent keeps the first key, get/list/delete, domains case-insensitive', async () => {
      const { keys } = h().store;
      assert.equal(await keys.get('example.test'), null);
      assert.deepEqual(await keys.putIfAbsent(key('Example.TEST', 'a')), key('example.test', 'a'));
      assert.deepEqual(await keys.putIfAbsent(key('example.test', 'b')), key('example.test', 'a'), 'the first key stays');
      assert.deepEqual(await keys.get('EXAMPLE.test'), key('example.test', 'a'));
      await keys.putIfAbsent(key('b.test', 'c'));
      assert.deepEqual((await keys.list()).map((k) => k.domain), ['b.test', 'example.test']);
      await keys.delete('example.test');
      await keys.delete('example.test');
      assert.equal(await keys.get('example.test'), null);
    });

    test('DKIM keys: racing writers agree on one key', async () => {
      const { keys } = h().store;
      const got = await Promise.all(['x', 'y', 'z', 'w'].map((t) => keys.putIfAbsent(key('race.test', t))));
      assert.equal(new Set(got.map((k) => k.privateKeyPem)).size, 1);
    });

    test('secrets: putIfAbsent, set replaces, racing writers agree, survive a reopen', async () => {
      const { secrets } = h().store;
      assert.equal(await secrets.get('jwt'), null);
      assert.equal(await secrets.putIfAbsent('jwt', 'one'), 'one');
      assert.equal(await secrets.putIfAbsent('jwt', 'two'), 'one');
      await secrets.set('jwt', 'three');
      assert.equal(await secrets.get('jwt'), 'three');
      const got = await Promise.all(['p', 'q', 'r'].map((v) => secrets.putIfAbsent('race', v)));
      assert.equal(new Set(got).size, 1);
      const store = await h().reopen();
      assert.equal(await store.secrets.get('jwt'), 'three');
      assert.equal(await store.secrets.get(`x'; DROP TABLE secrets; --`), null);
    });
  });
}
