import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { isAppError } from '../../src/errors/app-error.js';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'formwork-config-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function rejects(env: NodeJS.ProcessEnv, variable: string, expected: RegExp): void {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir, ...env }),
      (error: unknown) => {
        assert.ok(isAppError(error));
        assert.equal(error.code, 'ERR_CONFIG_INVALID');
        assert.match(error.message, new RegExp(`^Configuration: ${variable} must be `));
        assert.match(error.message, expected);
        assert.ok(!error.message.includes('\n'));
        return true;
      },
    );
  }

  describe('when nothing is set', () => {
    it('uses the embedded defaults under DATA_DIR', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      assert.equal(config.port, 3000);
      assert.equal(config.dataDir, dataDir);
      assert.deepEqual(config.database, { kind: 'pglite', dataDir: join(dataDir, 'db') });
      assert.deepEqual(config.redis, { kind: 'embedded', dataDir: join(dataDir, 'redis') });
      assert.deepEqual(config.mail, {
        kind: 'outbox',
        dir: join(dataDir, 'outbox'),
        from: 'Formwork <no-reply@formwork.example.org>',
      });
      assert.deepEqual(config.dms, { kind: 'filesystem', dir: join(dataDir, 'dms') });
      assert.equal(config.publicUrl, 'http://localhost:3000');
      assert.equal(config.logLevel, 'info');
      assert.ok(config.formsDir.endsWith('/forms'));
      assert.ok(config.workflowsDir.endsWith('/workflows'));
    });

    it('generates keys once, keeps them with mode 0600 and reuses them', async () => {
      const first = loadConfig({ DATA_DIR: dataDir });
      const second = loadConfig({ DATA_DIR: dataDir });
      assert.equal(Buffer.from(first.keys.dataKey, 'base64').length, 32);
      assert.ok(first.keys.sessionSecret.length >= 32);
      assert.deepEqual(second.keys, first.keys);
      const file = join(dataDir, 'keys', 'data-key');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await readFile(file, 'utf8')).trim(), first.keys.dataKey);
    });

    it('treats empty variables as unset', () => {
      assert.equal(
        loadConfig({ DATA_DIR: dataDir, PORT: '', DATABASE_URL: '' }).database.kind,
        'pglite',
      );
    });
  });

  describe('when production variables are set', () => {
    it('uses them', () => {
      const config = loadConfig({
        DATA_DIR: dataDir,
        PORT: '8080',
        DATABASE_URL: 'postgres://formwork@db.example.org/formwork',
        REDIS_URL: 'redis://queue.example.org:6379',
        SMTP_URL: 'smtp://mail.example.org:587',
        SMTP_INSECURE: '1',
        MAIL_FROM: 'Referrals <referrals@example.gov.uk>',
        DMS_URL: 'file:///srv/dms',
        PUBLIC_URL: 'https://forms.example.gov.uk/',
        SESSION_SECRET: 's'.repeat(40),
        DATA_KEY: 'ab'.repeat(32),
        LOG_LEVEL: 'debug',
      });
      assert.equal(config.port, 8080);
      assert.deepEqual(config.database, {
        kind: 'postgres',
        url: 'postgres://formwork@db.example.org/formwork',
      });
      assert.deepEqual(config.redis, { kind: 'external', url: 'redis://queue.example.org:6379' });
      assert.deepEqual(config.mail, {
        kind: 'smtp',
        url: 'smtp://mail.example.org:587',
        insecure: true,
        from: 'Referrals <referrals@example.gov.uk>',
      });
      assert.deepEqual(config.dms, { kind: 'filesystem', dir: '/srv/dms' });
      assert.equal(config.publicUrl, 'https://forms.example.gov.uk');
      assert.equal(config.keys.sessionSecret, 's'.repeat(40));
      assert.deepEqual(Buffer.from(config.keys.dataKey, 'base64'), Buffer.alloc(32, 0xab));
      assert.equal(config.logLevel, 'debug');
    });

    it('derives PUBLIC_URL from PORT', () => {
      assert.equal(
        loadConfig({ DATA_DIR: dataDir, PORT: '4000' }).publicUrl,
        'http://localhost:4000',
      );
    });

    it('requires TLS for SMTP unless SMTP_INSECURE is 1', () => {
      const config = loadConfig({ DATA_DIR: dataDir, SMTP_URL: 'smtp://mail.example.org' });
      assert.ok(config.mail.kind === 'smtp' && !config.mail.insecure);
    });
  });

  it('is deeply frozen', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.database));
    assert.ok(Object.isFrozen(config.keys));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  describe('when OpenID Connect is configured', () => {
    const oidc = {
      OIDC_ISSUER: 'https://login.example.gov.uk/tenant',
      OIDC_CLIENT_ID: 'formwork',
      OIDC_CLIENT_SECRET: 'a-client-secret-of-some-length',
    };
    it('builds the redirect URL from PUBLIC_URL', () => {
      const config = loadConfig({
        DATA_DIR: dataDir,
        PUBLIC_URL: 'https://forms.example.gov.uk/',
        ...oidc,
      });
      assert.deepEqual(config.oidc, {
        issuer: oidc.OIDC_ISSUER,
        clientId: 'formwork',
        clientSecret: oidc.OIDC_CLIENT_SECRET,
        redirectUrl: 'https://forms.example.gov.uk/sign-in/oidc/callback',
        name: "your organisation's account",
      });
    });
    it('is off when none of the three is set', () => {
      assert.equal(loadConfig({ DATA_DIR: dataDir }).oidc, undefined);
    });
    it('names the missing variable when only some are set', () => {
      rejects({ OIDC_ISSUER: oidc.OIDC_ISSUER }, 'OIDC_CLIENT_ID', /set too/);
    });
    it('refuses a plain-http issuer other than localhost, and a short secret', () => {
      rejects({ ...oidc, OIDC_ISSUER: 'http://login.example.gov.uk' }, 'OIDC_ISSUER', /https/);
      rejects({ ...oidc, OIDC_CLIENT_SECRET: 'short' }, 'OIDC_CLIENT_SECRET', /16/);
      assert.ok(
        loadConfig({ DATA_DIR: dataDir, ...oidc, OIDC_ISSUER: 'http://localhost:8080' }).oidc,
      );
    });
  });

  describe('when a value is bad', () => {
    it('names PORT when it is not a port number', () => {
      rejects({ PORT: 'eighty' }, 'PORT', /1 to 65535/);
      rejects({ PORT: '70000' }, 'PORT', /1 to 65535/);
      rejects({ PORT: '0' }, 'PORT', /1 to 65535/);
    });

    it('names DATABASE_URL when it is not a postgres URL, without echoing it', () => {
      rejects({ DATABASE_URL: 'mysql://secret-password@db' }, 'DATABASE_URL', /postgres:\/\//);
      assert.throws(
        () => loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://secret-password@db' }),
        (error: Error) => !error.message.includes('secret-password'),
      );
    });

    it('names the other variables', () => {
      rejects({ REDIS_URL: 'http://x' }, 'REDIS_URL', /redis:\/\//);
      rejects({ SMTP_URL: 'mail.example.org' }, 'SMTP_URL', /smtp:\/\//);
      rejects({ SMTP_INSECURE: 'yes' }, 'SMTP_INSECURE', /1 or 0/);
      rejects({ MAIL_FROM: 'not an address' }, 'MAIL_FROM', /someone@example.org/);
      rejects({ DMS_URL: 's3://bucket' }, 'DMS_URL', /file:\/\/\//);
      rejects({ PUBLIC_URL: 'localhost:3000' }, 'PUBLIC_URL', /https?:\/\//);
      rejects({ SESSION_SECRET: 'short' }, 'SESSION_SECRET', /32 characters/);
      rejects({ DATA_KEY: 'abc' }, 'DATA_KEY', /32 bytes/);
      rejects({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /debug/);
    });

    it('creates no key files', async () => {
      rejects({ PORT: 'x' }, 'PORT', /./);
      await assert.rejects(stat(join(dataDir, 'keys')), { code: 'ENOENT' });
    });
  });
});
