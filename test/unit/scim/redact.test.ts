import { describe, expect, it } from 'vitest';
import { redactFilter, redactLoggedRequest, redactUrl } from '../../../templates/scim/redact.js';

describe('redactFilter', () => {
  it('keeps attribute names and operators, replaces values', () => {
    expect(redactFilter('userName eq "bjensen@example.com"')).toBe('userName eq ***');
    expect(redactFilter('emails[type eq "work" and value co "@example.com"]')).toBe('emails[type eq *** and value co ***]');
    expect(redactFilter('meta.lastModified gt "2011-05-13T04:42:34Z" or active eq true')).toBe(
      'meta.lastModified gt *** or active eq ***',
    );
    expect(redactFilter('not (title pr) and userType eq null')).toBe('not (title pr) and userType eq ***');
    expect(redactFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"')).toBe(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq ***',
    );
  });

  it('replaces escaped quotes, unterminated strings, bare values and anything not name-shaped', () => {
    expect(redactFilter('displayName eq "Babs \\"B\\" Jensen"')).toBe('displayName eq ***');
    expect(redactFilter('userName eq "bjensen@exam')).toBe('userName eq ***');
    expect(redactFilter('userName eq bjensen')).toBe('userName eq ***');
    expect(redactFilter('bjensen@example.com')).toBe('***');
    expect(redactFilter('x.count gt 42')).toBe('x.count gt ***');
  });
});

describe('redactUrl', () => {
  it('redacts filter values, keeps paging, sorting and projection', () => {
    expect(
      redactUrl('/scim/v2/Users?filter=userName%20eq%20%22bjensen%40example.com%22&startIndex=1&count=10&sortBy=userName&attributes=userName,emails'),
    ).toBe('/scim/v2/Users?filter=userName eq ***&startIndex=1&count=10&sortBy=userName&attributes=userName,emails');
    expect(redactUrl('/scim/v2/Users?filter=userName+eq+"a@b.c"')).toBe('/scim/v2/Users?filter=userName eq ***');
  });

  it('replaces every other value: OAuth parameters, secrets, cursors, unknown ones', () => {
    const url = redactUrl(
      '/oauth/token?grant_type=client_credentials&client_id=idp&client_secret=s3cr3t&code=abc&refresh_token=r&access_token=t&password=p&cursor=xyz&email=a@b.c',
    );
    for (const secret of ['s3cr3t', 'abc', '=r&', '=t&', '=p&', 'xyz', 'a@b.c', 'client_credentials', '=idp']) {
      expect(url).not.toContain(secret);
    }
    expect(url).toBe(
      '/oauth/token?grant_type=***&client_id=***&client_secret=***&code=***&refresh_token=***&access_token=***&password=***&cursor=***&email=***',
    );
  });

  it('leaves URLs without a query string, and valueless parameters, as they are', () => {
    expect(redactUrl('/scim/v2/Users/2819c223')).toBe('/scim/v2/Users/2819c223');
    expect(redactUrl('/scim/v2/Users?&flag')).toBe('/scim/v2/Users?&flag');
  });

  it('drops a fragment', () => {
    expect(redactUrl('/x?filter=a eq "b"#frag')).toBe('/x?filter=a eq ***');
  });
});

describe('redactLoggedRequest', () => {
  it('redacts the url of a logged request and nothing else', () => {
    expect(redactLoggedRequest({ method: 'GET', url: '/Users?filter=userName eq "x"' })).toEqual({
      method: 'GET',
      url: '/Users?filter=userName eq ***',
    });
    expect(redactLoggedRequest(undefined)).toBeUndefined();
  });
});
