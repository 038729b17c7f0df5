import { render } from "preact";
import { App } from "./App.tsx";
import { loadMe } from "./state/session.ts";
import "./state/trace-fetch.ts";
import "./styles.css";

void loadMe();
render(<App />, document.getElementById("app")!);
