import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions, type DataConverter } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { payloadCodecFrom } from '../kernel/payload-codec';
import { requestIdMemo } from './request-id-memo';
import { tracingEnabled } from './tracing-enabled';

/**
 * Every process's way to Temporal, from config: the address, TLS / mTLS and an API key
 * (TEMPORAL_TLS*, TEMPORAL_API_KEY), and the payload codec when TEMPORAL_PAYLOAD_KEY is set. The
 * client and the worker must share the data converter, or one writes what the other cannot read.
 */
export function temporalConnectionOptions(config: Config): Pick<ConnectionOptions, 'address' | 'tls'> & { apiKey?: string } {
  const read = (file?: string) => (file ? fs.readFileSync(file) : undefined);
  const cert = read(config.TEMPORAL_TLS_CERT_FILE);
  const key = read(config.TEMPORAL_TLS_KEY_FILE);
  const tls = config.TEMPORAL_TLS
    ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: read(config.TEMPORAL_TLS_CA_FILE),
        clientCertPair: cert && key ? { crt: cert, key } : undefined,
      }
    : undefined;
  return { address: config.TEMPORAL_ADDRESS, tls, apiKey: config.TEMPORAL_API_KEY };
}

/** The payload codec (AES-GCM) of this deployment, for clients and workers alike; undefined without a key. */
export function temporalDataConverter(config: Config): DataConverter | undefined {
  const codec = payloadCodecFrom(config);
  return codec ? { payloadCodecs: [codec] } : undefined;
}

export const connectTemporal = (config: Config) => Connection.connect(temporalConnectionOptions(config));
export const connectTemporalWorker = (config: Config) => NativeConnection.connect(temporalConnectionOptions(config));

/** A client of this deployment: its codec; the HTTP request id in every start's memo; trace context in every call's headers when tracing. */
export const temporalClient = (config: Config, connection: Connection | NativeConnection) =>
  new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: temporalDataConverter(config),
    interceptors: { workflow: tracingEnabled(config) ? [requestIdMemo, new OpenTelemetryWorkflowClientInterceptor()] : [requestIdMemo] },
  });
