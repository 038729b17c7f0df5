// The public pages, one chunk: sign-in and sign-up, invites, a share link's page. One module per chunk that pages
// import lazily, so the chunk's exports are the pages (no namespace objects, no runtime chunk).
export { Auth } from "../Auth.tsx";
export { InvitePage } from "../Invite.tsx";
export { SharedTrace } from "../SharedTrace.tsx";
