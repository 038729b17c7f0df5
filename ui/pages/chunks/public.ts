// Sign-in and sign-up with invites, one chunk. One module per chunk that pages import lazily, so the chunk's exports
// are the pages (no namespace objects, no runtime chunk).
export { Auth } from "../Auth.tsx";
export { InvitePage } from "../Invite.tsx";
