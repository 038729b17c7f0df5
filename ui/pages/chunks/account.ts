// Sign-in and sign-up with invites, and a share link's page, one chunk: the pages a signed-out visitor sees.
//
// One module per chunk that pages import lazily (ui/pages/chunks/*.ts): the chunk's exports are then the pages as they
// are, where a group in vite.config.ts would wrap each lazily imported page in a namespace object and add a runtime
// chunk.
export { Auth } from "../Auth.tsx";
export { InvitePage } from "../Invite.tsx";
export { SharedTrace } from "../SharedTrace.tsx";
