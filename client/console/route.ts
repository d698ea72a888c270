// The console's places, in the URL's fragment (never sent to the server): `#/inbox?status=new`,
// `#/reports/{id}`, `#/setup/{token}`… A setup link's token therefore never appears in a request
// line, a proxy's log or the Referer.

export type Route =
  | { name: 'inbox'; query: URLSearchParams }
  | { name: 'report'; id: string }
  | { name: 'setup'; token: string }
  | { name: 'users' }
  | { name: 'channels' }
  | { name: 'settings' }
  | { name: 'account' }
  | { name: 'approvals' }
  | { name: 'recoveryApproval' }
  | { name: 'audit'; query: URLSearchParams }
  | { name: 'statistics'; query: URLSearchParams }
  | { name: 'home' };

const ID = /^[A-Za-z0-9_-]{1,100}$/;

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [path = '', search = ''] = text.split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const query = new URLSearchParams(search);
  switch (parts[0]) {
    case 'inbox':
      return { name: 'inbox', query };
    case 'reports':
      return parts[1] && ID.test(parts[1]) ? { name: 'report', id: parts[1] } : { name: 'home' };
    case 'setup':
      return parts[1] && ID.test(parts[1]) ? { name: 'setup', token: parts[1] } : { name: 'home' };
    case 'users':
      return { name: 'users' };
    case 'channels':
      return { name: 'channels' };
    case 'settings':
      return { name: 'settings' };
    case 'account':
      return { name: 'account' };
    case 'approvals':
      return parts[1] === 'recovery' ? { name: 'recoveryApproval' } : { name: 'approvals' };
    case 'audit':
      return { name: 'audit', query };
    case 'statistics':
      return { name: 'statistics', query };
    default:
      return { name: 'home' };
  }
}

export function hrefOf(route: Route): string {
  const q = (query: URLSearchParams) => (query.toString() ? `?${query.toString()}` : '');
  switch (route.name) {
    case 'inbox':
      return `#/inbox${q(route.query)}`;
    case 'report':
      return `#/reports/${route.id}`;
    case 'setup':
      return `#/setup/${route.token}`;
    case 'audit':
      return `#/audit${q(route.query)}`;
    case 'statistics':
      return `#/statistics${q(route.query)}`;
    case 'recoveryApproval':
      return '#/approvals/recovery';
    case 'home':
      return '#/';
    default:
      return `#/${route.name}`;
  }
}
