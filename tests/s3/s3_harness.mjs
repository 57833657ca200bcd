// s3rver knows one access key id, S3RVER (it checks no more than that); the secret is ours.
// A local S3 store for tests: s3rver on loopback behind the verifying front (s3_front.mjs),
// with the bucket created beforehand as an operator would. Reusable by any test:
//
//   const s3 = await startS3();      // { endpoint, region, bucket, credentials, env, client, front, stop }
//   spawn(bin, [...], { env: { ...process.env, ...s3.env } });
//   await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'x' }));
//   await s3.stop();
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import {
  S3Client, ListObjectsV2Command, ListMultipartUploadsCommand, GetObjectCommand,
} from '@aws-sdk/client-s3';
import { startFront } from './s3_front.mjs';

export const DEFAULT_BUCKET = 'scout-platinum';

export async function startS3({ bucket = DEFAULT_BUCKET, region = 'us-east-1' } = {}) {
  const directory = mkdtempSync(path.join(tmpdir(), 'scout-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: !process.env.S3RVER_LOG, directory, configureBuckets: [{ name: bucket }] });
  const target = await s3rver.run();
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'scout-test-secret/0123456789abcdefABCDEF' };
  const front = await startFront({ target, credentials, region, bucket });
  const endpoint = `http://127.0.0.1:${front.port}`;
  const client = new S3Client({
    endpoint, region, credentials, forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const env = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
  };
  return {
    endpoint, region, bucket, credentials, env, client, front,
    // Every key under `prefix`, read by the AWS SDK.
    async keys(prefix = '') {
      const out = [];
      let ContinuationToken;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
        for (const o of page.Contents ?? []) out.push(o.Key);
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return out.sort();
    },
    async uploads(prefix = '') {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
      return page.Uploads ?? [];
    },
    async get(key) {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await r.Body.transformToByteArray());
    },
    async stop() {
      client.destroy();
      await front.close();
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
