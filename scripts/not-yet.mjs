// Placeholder for commands whose issues have not landed yet; exits 0 so `npm run` lists stay honest.
const what = process.argv[2] ?? 'this command';
console.log(`deskmate: \`npm run ${what}\` is not yet available; it arrives with its issue.`);
