// The account's pages, one chunk: sign-in and sign-up, invites, "no projects yet" and the settings page (general tab:
// keys, members, new projects; share links). Together they are one chunk fewer (0.4 KB gz less over all pages) and the
// sign-in page still loads in 16 KB gz.
//
// One module per chunk that pages import lazily (ui/pages/chunks/*.ts): the chunk's exports are then the pages as they
// are, where a group in vite.config.ts would wrap each lazily imported page in a namespace object and add a runtime
// chunk.
export { Auth } from "../Auth.tsx";
export { InvitePage } from "../Invite.tsx";
export { NoProjects } from "../NoProjects.tsx";
export { Settings } from "../Settings.tsx";
