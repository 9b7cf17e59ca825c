import type { SniffedType } from '../rules/media-types';
import type { IncomingFile } from './incoming';

export interface StoredMedia {
  storageKey: string;
  url: string;
}

export interface PutMediaInput {
  /** Random, unguessable: also the file name (local) or public id (Cloudinary). */
  key: string;
  /** The received file on disk (moved or streamed from there, never read whole into memory). */
  file: IncomingFile;
  type: SniffedType;
  /** Absolute URL of the API surface (https://host/api), for adapters that serve files themselves. */
  surfaceBaseUrl: string;
}

/** Where uploaded files live: local disk (served by the API) or Cloudinary. */
export interface MediaStorage {
  readonly name: 'local' | 'cloudinary';
  put(input: PutMediaInput): Promise<StoredMedia>;
}
