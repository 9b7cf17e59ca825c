// Sign-in: email (or phone) OTP, then the admin's TOTP (enrolling it the first time).
import { api, ApiError, session } from './api.js';
import { STAFF_ROLES } from './roles.js';
import { flash, h, show } from './ui.js';

function step(title, fields, button, onsubmit) {
  const inputs = fields.map(([name, label, extra = {}]) => h('label', {}, label, h('input', { name, required: true, ...extra })));
  const form = h('form', { class: 'signin', 'aria-label': title }, h('h1', {}, title), inputs, h('button', { class: 'primary', type: 'submit' }, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    try {
      await onsubmit(values);
    } catch (err) {
      flash(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err), true);
    }
  });
  show(form);
  form.querySelector('input')?.focus();
}

/** Refuses a session that is not staff's, and ends it. */
export async function refuse() {
  await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  session.clear();
  flash('This account cannot open the console: it is not staff (admin, super admin or finance).', true);
}

export function signIn(onDone, keepMessage = false) {
  if (!keepMessage) flash('');
  step('Sign in', [['identifier', 'Email or phone', { autocomplete: 'username' }]], 'Send code', async ({ identifier }) => {
    const sent = await api('/auth/get-otp', { method: 'POST', body: { identifier, purpose: 'login' } });
    flash(`A code was sent to ${sent.identifier}.`);
    askOtp(sent.challenge_id, onDone);
  });
}

function askOtp(challengeId, onDone) {
  const codeAttrs = { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}' };
  step('Enter the code', [['code', 'Code from the message', codeAttrs]], 'Verify', async ({ code }) => {
    const verified = await api('/auth/verify-otp', { method: 'POST', body: { challenge_id: challengeId, code } });
    if (verified.next_step !== 'login') return flash('No account with this email or phone.', true);
    const tokens = await api('/auth/login', { method: 'POST', body: { verification_token: verified.verification_token } });
    session.set({ access_token: tokens.access_token, refresh_token: tokens.refresh_token, user: tokens.user });
    if (!STAFF_ROLES.includes(tokens.user.role)) return (await refuse(), signIn(onDone, true));
    flash('');
    secondFactor(onDone);
  });
}

function secondFactor(onDone) {
  const codeAttrs = { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}' };
  step('Authenticator code', [['code', 'Code from your authenticator app', codeAttrs]], 'Verify', async ({ code }) => {
    try {
      await api('/auth/2fa/verify', { method: 'POST', body: { code } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SECOND_FACTOR_NOT_ENROLLED') return enrol(onDone);
      throw err;
    }
    flash('Signed in.');
    onDone();
  });
}

/** First sign-in of an admin: set up the authenticator, confirm with a code, show the recovery codes once. */
async function enrol(onDone) {
  const { secret, otpauth_uri: uri } = await api('/auth/2fa/enroll', { method: 'POST' });
  flash('Set up your authenticator first.');
  step(
    'Set up your authenticator',
    [['code', `Add this key to your authenticator app: ${secret} (${uri}), then enter its code`]],
    'Confirm',
    async ({ code }) => {
      const { recovery_codes: codes } = await api('/auth/2fa/enroll/confirm', { method: 'POST', body: { code } });
      show(
        h(
          'section',
          { class: 'signin' },
          h('h1', {}, 'Recovery codes'),
          h('p', {}, 'Keep these somewhere safe; each works once.'),
          h('pre', {}, codes.join('\n')),
        ),
        h('button', { class: 'primary', type: 'button', onclick: onDone }, 'Continue'),
      );
    },
  );
}

/** True when the stored session still belongs to an admin (one call to /auth/me). */
export async function sessionIsAdmin() {
  if (!session.get()) return false;
  const me = await api('/auth/me').catch(() => null);
  if (!me) return (session.clear(), false);
  if (!STAFF_ROLES.includes(me.role)) return (await refuse(), false);
  // The role may have changed since sign-in: the views follow the API's answer.
  session.set({ ...session.get(), user: { ...session.get().user, role: me.role } });
  return true;
}
