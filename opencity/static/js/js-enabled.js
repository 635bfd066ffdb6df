// Mark the page as scripted before it is drawn (loaded without defer, from <head>): styles
// under .js then apply from the first paint. A file, not an inline script: the CSP forbids those.
document.documentElement.classList.replace("no-js", "js");
