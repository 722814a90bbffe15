import { describe, expect, it } from 'vitest';
import { Router } from '../../../sandbox/kit/index.ts';

describe('the simulator router', () => {
  const router = new Router<string>()
    .add('GET', '/company/{id}', 'company')
    .add('GET', '/company/>withLoginAccess', 'login-access')
    .add('POST', '/token/session/:create', 'create')
    .add('DELETE', '/token/session/{token}', 'end');

  it('lets a literal segment win over a parameter, whatever the order they were added in', () => {
    expect(router.match('GET', '/company/>withLoginAccess')).toMatchObject({ kind: 'found', handler: 'login-access' });
    expect(router.match('get', '/company/42')).toEqual({ kind: 'found', handler: 'company', params: { id: '42' }, pattern: '/company/{id}' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('GET', '/token/session/:create')).toEqual({ kind: 'method-not-allowed', allowed: ['POST', 'DELETE'] });
    expect(router.match('GET', '/company/42/extra')).toEqual({ kind: 'not-found' });
  });
});
