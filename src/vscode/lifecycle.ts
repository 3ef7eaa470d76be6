import * as vscode from 'vscode';

/** A base for objects that own disposables: whatever they `register()` is disposed with them, newest first. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  /** Takes ownership of `disposable`; when this object is already disposed, disposes it at once. */
  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const disposable of this.owned.reverse()) disposable.dispose();
    this.owned.length = 0;
  }
}
