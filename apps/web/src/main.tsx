import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RoomPage } from './rooms/room-page';
import { RoomsHome } from './rooms/rooms-home';
import './styles.css';

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** The API serves this page at `/chat` (create a room) and `/chat/:code` (a room). */
function App() {
  const match = /^\/chat\/([^/]+)\/?$/.exec(window.location.pathname);
  if (match) return <RoomPage code={decode(match[1])} />;
  return <RoomsHome />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
