// Loaded first by the /csp/ test pages (classic script: inline scripts are not allowed there).
// Records every Content-Security-Policy / Trusted Types violation the page reports.
window.__csp = { violations: [], result: null };
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.violations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: `${event.sourceFile}:${event.lineNumber}`,
  });
}, true);
