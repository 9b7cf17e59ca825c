import fs from 'node:fs';
import path from 'node:path';
import type { SlotReport } from '../kernel/devices/protocol';

/** What a kiosk remembers across its own restarts: its bays (which power bank sits where) and its lock. */
export interface KioskState {
  slots: SlotReport[];
  locked: boolean;
}

/**
 * A kiosk's state file, `<dir>/<sn>.json`. A real kiosk knows its bays from its sensors after a
 * reboot; the simulator reads them from here, so a restarted simulator never puts back power banks
 * that riders are holding. Written whole to a temporary file and renamed, so a crash mid-write
 * leaves the previous state.
 */
export class KioskStateFile {
  readonly file: string;

  constructor(dir: string, sn: string) {
    this.file = path.join(dir, `${sn.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  }

  /** The saved state, or undefined when there is none (or it cannot be read: the kiosk starts from its configured bays). */
  load(): KioskState | undefined {
    try {
      const saved = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<KioskState>;
      return Array.isArray(saved.slots) ? { slots: saved.slots, locked: saved.locked === true } : undefined;
    } catch {
      return undefined;
    }
  }

  save(state: KioskState): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.file);
  }
}
