import { describe, expect, it } from 'vitest';
import { HostedPages, hostedLocale, hostedPagePolicy } from '../../../../src/contexts/oidc/infrastructure/pages/hosted-pages.js';

describe('hosted pages', () => {
  const pages = new HostedPages();

  it('speaks the client’s ui_locales first, then the browser’s language, else English', () => {
    expect(hostedLocale('es', 'en-US')).toBe('es');
    expect(hostedLocale(undefined, 'es-ES,es;q=0.9')).toBe('es');
    expect(hostedLocale('fr', 'de, es;q=0.5')).toBe('es');
    expect(hostedLocale(undefined, 'fr-FR')).toBe('en');
    expect(hostedLocale(undefined, undefined)).toBe('en');
  });

  it('lets the forms post to this origin and to the client it ends at, and nothing load but the stylesheet', () => {
    const policy = hostedPagePolicy(['https://notes.example/cb?x=1', 'not a url', 'https://notes.example/other']);
    expect(policy).toBe(
      "default-src 'none'; style-src 'self'; form-action 'self' https://notes.example; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(hostedPagePolicy()).toContain("form-action 'self';");
  });

  it('escapes what the client and the person typed', () => {
    const html = pages.render('en', 'sign-in', { client: '<script>x</script>', email: '"><img src=x>', csrf: 'c', action: '/a', abort: '/b' });
    expect(html).not.toContain('<script>x');
    expect(html).not.toContain('"><img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('explains each refusal in the page’s language, with the wait of a rate limit', () => {
    const limited = pages.render('es', 'sign-in', { error: { code: 'rate_limited', retryAfterSeconds: 42 }, csrf: 'c', action: '/a', abort: '/b' });
    expect(limited).toContain('dentro de 42 segundos');
    expect(limited).toContain('role="alert"');
    expect(limited).toContain('aria-describedby="form-error"');
    const unknown = pages.render('en', 'sign-in', { error: { code: 'something_new' }, csrf: 'c', action: '/a', abort: '/b' });
    expect(unknown).toContain('The email or the password is not right.');
  });

  it('names the protocol error on the error page, and each scope in words on the consent page', () => {
    expect(pages.render('en', 'error', { code: 'invalid_redirect_uri' })).toContain('<code>invalid_redirect_uri</code>');
    const consent = pages.render('es', 'consent', { client: 'Notas', scopes: ['openid', 'email', 'custom'], csrf: 'c', action: '/a' });
    expect(consent).toContain('Notas pide:');
    expect(consent).toContain('<li>Ver tu dirección de correo</li>');
    expect(consent).toContain('<li>custom</li>');
  });
});
