import { OutgoingMail } from '../../mail/mail.service';
import { IssuedLink } from './link-tokens.service';

// Mail bodies hold single-use links: MailService never logs them.

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
const validFor = (link: IssuedLink): string => {
  const minutes = Math.round(link.lifetimeSeconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  if (minutes < 48 * 60) return plural(Math.round(minutes / 60), 'hour');
  return plural(Math.round(minutes / (24 * 60)), 'day');
};

export const magicLinkMail = (to: string, link: IssuedLink): OutgoingMail => ({
  to,
  subject: 'Your Parley login link',
  text: [
    'Open this link to log in to Parley:',
    '',
    link.url,
    '',
    `It works once, for ${validFor(link)}. If you did not ask for it, ignore this mail.`,
    '',
  ].join('\n'),
});

export const passwordResetMail = (to: string, link: IssuedLink): OutgoingMail => ({
  to,
  subject: 'Reset your Parley password',
  text: [
    'Open this link to choose a new Parley password:',
    '',
    link.url,
    '',
    `It works once, for ${validFor(link)}. If you did not ask for it, ignore this mail;`,
    'your password stays as it is.',
    '',
  ].join('\n'),
});

export const inviteMail = (to: string, workspaceName: string, link: IssuedLink): OutgoingMail => ({
  to,
  subject: `You are invited to ${workspaceName} on Parley`,
  text: [
    `You have been added to ${workspaceName} on Parley. Open this link to choose your password:`,
    '',
    link.url,
    '',
    `It works once, for ${validFor(link)}.`,
    '',
  ].join('\n'),
});

/** For an identity that exists already, or when links cannot set a password: no token, just news. */
export const addedNoticeMail = (to: string, workspaceName: string, appUrl: string): OutgoingMail => ({
  to,
  subject: `You were added to ${workspaceName} on Parley`,
  text: [`You have been added to ${workspaceName} on Parley. Log in as usual at:`, '', `${appUrl}/`, ''].join('\n'),
});
