import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalCliPath, temporalTestServerPath } from '../../src/infra/temporal-binary';

describe('finding the Temporal binaries', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('when TEMPORAL_CLI_PATH names a file, then that file is used before anything on PATH', () => {
    const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tbin-')), 'temporal');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    process.env.TEMPORAL_CLI_PATH = fake;
    expect(temporalCliPath()).toBe(fake);
  });

  it('when TEMPORAL_CLI_PATH names nothing, then the error says which variable is wrong', () => {
    process.env.TEMPORAL_CLI_PATH = '/nowhere/temporal';
    expect(() => temporalCliPath()).toThrow(/TEMPORAL_CLI_PATH=\/nowhere\/temporal does not exist/);
  });

  it('when a `temporal` is on PATH, then it is preferred over the project copy', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpath-'));
    fs.writeFileSync(path.join(dir, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = `${dir}:${process.env.PATH}`;
    expect(temporalCliPath()).toBe(path.join(dir, 'temporal'));
  });

  it('when nothing is configured, then the installed binaries are found and are executables', () => {
    delete process.env.TEMPORAL_CLI_PATH;
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    for (const bin of [temporalCliPath(), temporalTestServerPath()]) {
      expect(fs.statSync(bin).mode & 0o111).toBeTruthy();
    }
  });
});
