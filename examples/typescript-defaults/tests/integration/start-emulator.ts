/**
 * jest's global set-up of the integration tests: moto's server on 127.0.0.1, started once for
 * the run, and the resources the service's code expects in it, named as environment.ts names
 * them.
 *
 * The server's URL reaches the tests as AWS_ENDPOINT_URL: set here, in jest's own process, it is
 * inherited by the workers that run the test files. stop-emulator.ts stops the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';

import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

import {
  GSI1,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  GSI2,
  GSI2_PARTITION_KEY,
  GSI2_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from '../../infra/contract';
import { EnvironmentVariables } from '../../service/settings';
// Credentials, region and the resources' names, as every test sees them.
import '../environment';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 30_000;

declare global {
  // Handed from the global set-up to the global tear-down, which share this scope.
  var awsEmulator: ChildProcess | undefined;
}

export default async function startEmulator(): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const server = spawn(
    path.join(PROJECT_ROOT, '.venv', 'bin', 'moto_server'),
    ['-H', '127.0.0.1', '-p', String(port)],
    { stdio: 'ignore' },
  );
  globalThis.awsEmulator = server;
  process.env['AWS_ENDPOINT_URL'] = url;
  await answering(url, server);
  await createTable(process.env[EnvironmentVariables.TABLE_NAME] ?? '');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('no free port on 127.0.0.1'));
        }
      });
    });
  });
}

/** Resolves once the server answers HTTP; rejects if it exits or takes too long. */
async function answering(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`moto_server exited with code ${String(server.exitCode)}; run make install`);
    }
    try {
      const response = await fetch(`${url}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill();
  throw new Error(`moto_server did not answer on ${url} within ${String(STARTUP_TIMEOUT_MS)} ms`);
}

/** The service's table, keyed as the Data construct keys it. */
function createTable(name: string): Promise<void> {
  const index = (indexName: string, partitionKey: string, sortKey: string) => ({
    IndexName: indexName,
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return createTableWithTtl({
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      PARTITION_KEY,
      SORT_KEY,
      GSI1_PARTITION_KEY,
      GSI1_SORT_KEY,
      GSI2_PARTITION_KEY,
      GSI2_SORT_KEY,
    ].map((key) => ({ AttributeName: key, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      index(GSI1, GSI1_PARTITION_KEY, GSI1_SORT_KEY),
      index(GSI2, GSI2_PARTITION_KEY, GSI2_SORT_KEY),
    ],
  });
}

/** The table, whose items expire through their `ttl` attribute. */
async function createTableWithTtl(table: CreateTableCommandInput): Promise<void> {
  const client = new DynamoDBClient({});
  await client.send(new CreateTableCommand(table));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: table.TableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE },
    }),
  );
  // Its open connections would keep jest's own process alive after the tests.
  client.destroy();
}
