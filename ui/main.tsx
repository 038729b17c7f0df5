import { render } from "preact";
import { App } from "./App.tsx";
import { loadMe } from "./state/session.ts";
import "./state/trace-fetch.ts";
import "./styles/base.css";
import "./styles/tables.css";
import "./styles/filters.css";
import "./styles/trace.css";
import "./styles/waterfall.css";
import "./styles/costs.css";
import "./styles/scores.css";
import "./styles/alerts.css";
import "./styles/usage.css";
import "./styles/overview.css";
import "./styles/shares.css";

// A share link's page is public and reads nothing of the signed-in user.
if (!location.pathname.startsWith("/share/")) void loadMe();
render(<App />, document.getElementById("app")!);
