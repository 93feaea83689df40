import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';

// Each page loads only its own code: the team app at `/`, the rooms at `/chat`.
const RoomPage = lazy(() => import('./rooms/room-page').then((m) => ({ default: m.RoomPage })));
const RoomsHome = lazy(() => import('./rooms/rooms-home').then((m) => ({ default: m.RoomsHome })));
const TeamApp = lazy(() => import('./team/team-app').then((m) => ({ default: m.TeamApp })));

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The API serves this page at `/` (the team app), `/chat` (create a room) and `/chat/:code` (a room). */
function Page() {
  const match = /^\/chat\/([^/]+)\/?$/.exec(window.location.pathname);
  if (match) return <RoomPage code={decode(match[1])} />;
  if (/^\/chat\/?$/.test(window.location.pathname)) return <RoomsHome />;
  return <TeamApp />;
}

function App() {
  return (
    <Suspense fallback={<p className="page-loading">Loading…</p>}>
      <Page />
    </Suspense>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
