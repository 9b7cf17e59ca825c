import type { Readable } from 'node:stream';
import type { MediaVisibility } from '../entities/media-upload.entity';
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
  /** `private`: never publicly reachable (a private folder; Cloudinary's authenticated delivery). */
  visibility: MediaVisibility;
}

/** A stored file as storage knows it. */
export interface MediaRef {
  storageKey: string;
  visibility: MediaVisibility;
  mimeType: string;
}

/** Where uploaded files live: local disk (served by the API) or Cloudinary. */
export interface MediaStorage {
  readonly name: 'local' | 'cloudinary';
  put(input: PutMediaInput): Promise<StoredMedia>;
  /** The file's bytes, for the API to serve a private file itself; undefined if it is gone. */
  open(ref: MediaRef): Promise<Readable | undefined>;
  /** Deletes the file; a file already gone is not an error. */
  remove(ref: MediaRef): Promise<void>;
}
