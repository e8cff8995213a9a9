import { greeting } from "./greeting";

const title: HTMLElement | null = document.querySelector("h1");
if (title) title.textContent = greeting("vite");
